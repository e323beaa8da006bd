"""The MLE marked with ax.vlines from the bottom of the axes up to the curve's peak (a LineCollection)."""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots()
curve = log_likelihood(grid, heads, tails)
ax.plot(grid, curve)
ax.vlines(theta_hat, curve.min(), log_likelihood(theta_hat, heads, tails), colors="tab:red", linestyles=":")
ax.set_xlabel("theta")
ax.set_ylabel("log-likelihood (nats)")
