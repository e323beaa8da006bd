"""Log-space throughout: log-softmax with np.logaddexp.reduce, entropy as -sum p * log p from the log-probabilities."""

# %% q1
def log_softmax(z, temperature):
    scaled = np.asarray(z, dtype=float) / temperature
    return scaled - np.logaddexp.reduce(scaled, axis=-1, keepdims=True)


def softmax(z, temperature=1.0):
    if temperature <= 0.0:
        raise ValueError("softmax needs temperature > 0")
    return np.exp(log_softmax(z, temperature))

# %% q2
def softmax_limit(z):
    z = np.array(z, dtype=float)
    winners = np.flatnonzero(z == z.max())
    limit = np.zeros(z.shape)
    limit[winners] = 1.0 / len(winners)
    return limit

# %% q4
import math


def loss_limits(z, k):
    limit = softmax_limit(z)
    cold = -math.log(limit[k]) if limit[k] > 0 else math.inf
    return float(cold) + 0.0, float(math.log(len(limit)))

# %% q5
def softmax_entropy(z, temperature):
    log_p = log_softmax(z, temperature)
    return float(-np.sum(np.exp(log_p) * log_p))

# %% q6
z_demo = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
temperatures = np.logspace(-2, 2, 200)
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
axes[0].bar(range(5), softmax(z_demo, 1.0))
axes[0].set_title("softmax at T = 1")
entropy_curve = np.array([softmax_entropy(z_demo, t) for t in temperatures])
axes[1].semilogx(temperatures, entropy_curve, color="purple")
axes[1].axhline(np.log(5), ls="--", color="gray")
axes[1].set_xlabel("T")
axes[1].set_ylabel("H(softmax(z/T))")
