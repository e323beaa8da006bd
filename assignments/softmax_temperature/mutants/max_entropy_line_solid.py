"""The line at the maximum entropy ln K is drawn, but solid instead of dashed.

Loses: q6
"""

# %% q6
z_demo = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
temperatures = np.logspace(-2, 2, 200)
fig, ax = plt.subplots()
ax.semilogx(temperatures, [softmax_entropy(z_demo, t) for t in temperatures])
ax.axhline(np.log(len(z_demo)), color="gray")
ax.set_xlabel("T")
ax.set_ylabel("entropy (nats)")
