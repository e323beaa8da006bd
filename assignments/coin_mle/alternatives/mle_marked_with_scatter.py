"""The MLE marked with a scatter point on the curve (pyplot interface), not a vertical line."""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig = plt.figure()
plt.plot(grid, log_likelihood(grid, 3, 2))
plt.scatter([theta_hat], [log_likelihood(theta_hat, 3, 2)], color="red", zorder=3)
plt.xlabel("theta")
plt.ylabel("log-likelihood (nats)")
