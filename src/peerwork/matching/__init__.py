"""Matching referrals with peer workers — pure Python/NumPy/SciPy, no Django.

Fit is a score with reasons, not a gate (S2); the only hard limits are room, declared
conflicts and the service user's firm wishes. See ``docs``/the module docstrings for details.
"""
