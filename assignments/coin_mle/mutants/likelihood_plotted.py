"""The likelihood is plotted instead of the log-likelihood.

Loses: q5
"""

# %% q5
grid = np.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots()
ax.plot(grid, likelihood(grid, heads, tails))
ax.axvline(theta_hat)
ax.set_xlabel("theta")
ax.set_ylabel("likelihood")
