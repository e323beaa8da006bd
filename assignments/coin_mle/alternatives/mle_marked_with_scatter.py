"""The MLE marked with a scatter point on the curve (pyplot interface), not a vertical line."""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig = plt.figure()
plt.plot(grid, log_likelihood(grid, heads, tails))
plt.scatter([theta_hat], [log_likelihood(theta_hat, heads, tails)], color="red", zorder=3)
plt.xlabel("theta")
plt.ylabel("log-likelihood (nats)")
