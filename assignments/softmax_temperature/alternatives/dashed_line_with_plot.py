"""The line at ln K drawn with plt.plot across the temperature range, dashed by a format string."""

# %% q6
z_demo = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
temperatures = np.logspace(-2, 2, 200)
fig = plt.figure()
plt.plot(temperatures, [softmax_entropy(z_demo, t) for t in temperatures])
plt.plot([temperatures[0], temperatures[-1]], [np.log(5), np.log(5)], "r--")
plt.xscale("log")
plt.xlabel("temperature T")
plt.ylabel("entropy H(T) (nats)")
