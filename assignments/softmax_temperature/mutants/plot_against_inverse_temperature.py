"""The entropy is plotted against the inverse temperature 1/T instead of T.

Loses: q6
"""

# %% q6
z_demo = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
temperatures = np.logspace(-2, 2, 200)
fig, ax = plt.subplots()
ax.semilogx(1 / temperatures, [softmax_entropy(z_demo, t) for t in temperatures])
ax.axhline(np.log(5), linestyle="--")
ax.set_xlabel("1/T")
ax.set_ylabel("entropy (nats)")
