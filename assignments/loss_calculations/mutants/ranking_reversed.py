"""Ranking written from the highest to the lowest entropy instead of lowest to highest.

Loses: q1b
"""

# %% q1b
entropy_ranking = sorted(entropies, key=entropies.get, reverse=True)
