"""Hand-worked with more care: literals to 6 decimals, integers where the value is exact, tuples and lists mixed."""

# %% q1a
entropies = {"a": 1.213008, "b": 1.386294, "c": 0, "d": 1.329661}

# %% q1b
entropy_ranking = ("c", "a", "d", "b")

# %% q2a
ce_loss = 0.407606

# %% q2b
ce_grad = (0.244728, 0.090031, -0.334759)

# %% q3
perplexity = 4.481689

# %% q4
bce_values = (0.105361, 0.693147, 2.995732)

# %% q5
grad_compare = [-1.9, -20]

# %% q6
kl_pair = [0.085123, 0.092033]
cross_entropy_pq = 0.886941

# %% q7
label_smoothing_target = (0.02, 0.02, 0.92, 0.02, 0.02)

# %% q8
lse = 1001.407606
