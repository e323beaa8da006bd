"""The plot shows the log-likelihood but does not mark the MLE.

Loses: q5
"""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots()
ax.plot(grid, log_likelihood(grid, heads, tails))
ax.set_xlabel("theta")
ax.set_ylabel("log-likelihood")
