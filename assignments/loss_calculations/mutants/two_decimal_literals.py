"""Final answers rounded to 2 decimals instead of 4 (loses marks wherever that changes the value by more than the tolerance).

Every value is the correct one rounded to 2 decimals. Rounding to 2 decimals cannot be detected, and so loses
nothing, where it gives the same number as rounding to 4: the exact values (entropy (c) = 0, the derivatives
-1.9 and -20, the smoothed target) and the gradient component 0.090031, whose 4-decimal rounding is 0.0900.

Loses: q1a, q2a, q2b, q3, q4, q6, q8
"""

# %% q1a
entropies = {"a": 1.21, "b": 1.39, "c": 0.0, "d": 1.33}

# %% q1b
entropy_ranking = ["c", "a", "d", "b"]

# %% q2a
ce_loss = 0.41

# %% q2b
ce_grad = [0.24, 0.09, -0.33]

# %% q3
perplexity = 4.48

# %% q4
bce_values = [0.11, 0.69, 3.00]

# %% q5
grad_compare = (-1.90, -20.00)

# %% q6
kl_pair = (0.09, 0.09)
cross_entropy_pq = 0.89

# %% q7
label_smoothing_target = [0.02, 0.02, 0.92, 0.02, 0.02]

# %% q8
lse = 1001.41
