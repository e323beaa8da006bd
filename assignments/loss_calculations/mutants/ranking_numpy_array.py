"""Ranking given as a numpy array of strings instead of a Python list (the grader reads only plain values).

Loses: q1b
"""

# %% q1b
entropy_ranking = np.array(sorted(entropies, key=entropies.get))
