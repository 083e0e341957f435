"""Peerwork's default anonymity threshold, shared by every part that shows or releases figures about groups.

A group smaller than this is never shown or released on its own: readiness results and pulse survey results
withhold a respondent group with fewer answers, and an evaluation extract generalises or leaves out a person
whose description (age band, gender, municipality, life areas) fewer people share.
"""

from __future__ import annotations

ANONYMITY_THRESHOLD = 3
