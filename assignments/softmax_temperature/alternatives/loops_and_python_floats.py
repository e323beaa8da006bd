"""Loops and plain Python floats: math.exp / math.log row by row, lists turned into arrays at the end."""

# %% q1
import math


def softmax(z, temperature=1.0):
    if temperature <= 0:
        raise ValueError(f"temperature {temperature} is not positive")

    def one_row(row):
        row = [float(v) for v in row]
        top = max(row)
        weights = [math.exp((v - top) / temperature) for v in row]
        total = sum(weights)
        return [w / total for w in weights]

    array = np.asarray(z, dtype=float)
    if array.ndim == 1:
        return np.array(one_row(array))
    return np.array([one_row(row) for row in array]).reshape(array.shape)

# %% q2
def softmax_limit(z):
    values = [float(v) for v in z]
    top = max(values)
    count = sum(1 for v in values if v == top)
    return np.array([1.0 / count if v == top else 0.0 for v in values])

# %% q4
import math


def loss_limits(z, k):
    values = [float(v) for v in z]
    top = max(values)
    count = values.count(top)
    if values[k] != top:
        return math.inf, math.log(len(values))
    return math.log(count), math.log(len(values))

# %% q5
def softmax_entropy(z, temperature):
    values = [float(v) for v in z]
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    entropy = 0.0
    for w in weights:
        p = w / total
        if p > 0:
            entropy -= p * math.log(p)
    return entropy

# %% q6
z_demo = [2.0, 1.0, 0.5, -0.5, -1.0]
temperatures = [10 ** (-2 + 4 * i / 199) for i in range(200)]
fig = plt.figure()
plt.semilogx(temperatures, [softmax_entropy(z_demo, t) for t in temperatures])
plt.plot([temperatures[0], temperatures[-1]], [math.log(5), math.log(5)], "k--")
plt.xlabel("T")
plt.ylabel("H (nats)")
