"""The line at ln K drawn with ax.hlines, dashed through its linestyles argument (a LineCollection)."""

# %% q6
z_demo = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
temperatures = np.logspace(-2, 2, 200)
fig, ax = plt.subplots()
ax.plot(temperatures, [softmax_entropy(z_demo, t) for t in temperatures])
ax.hlines(np.log(5), temperatures[0], temperatures[-1], colors="gray", linestyles="dashed")
ax.set_xscale("log")
ax.set_xlabel("temperature T")
ax.set_ylabel("entropy H(T) (nats)")
