"""Ranking organizations for one person's profile."""
