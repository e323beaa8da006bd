"""The MLE marked with a vertical segment drawn by ax.plot from the bottom of the axes to the peak."""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots()
ax.plot(grid, log_likelihood(grid, heads, tails))
ax.plot([theta_hat, theta_hat], [-12.0, log_likelihood(theta_hat, heads, tails)], "k:")
ax.set_ylim(-12, 0)
ax.set_xlabel("theta")
ax.set_ylabel("log-likelihood (nats)")
