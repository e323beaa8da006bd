"""Hand-worked style: every answer typed as a number literal rounded to 4 decimals (exact values typed exactly)."""

# %% q1a
entropies = {"a": 1.2130, "b": 1.3863, "c": 0, "d": 1.3297}

# %% q1b
entropy_ranking = ["c", "a", "d", "b"]

# %% q2a
ce_loss = 0.4076

# %% q2b
ce_grad = [0.2447, 0.0900, -0.3348]

# %% q3
perplexity = 4.4817

# %% q4
bce_values = [0.1054, 0.6931, 2.9957]

# %% q5
grad_compare = (-1.9, -20)

# %% q6
kl_pair = (0.0851, 0.0920)
cross_entropy_pq = 0.8869

# %% q7
label_smoothing_target = [0.02, 0.02, 0.92, 0.02, 0.02]

# %% q8
lse = 1001.4076
