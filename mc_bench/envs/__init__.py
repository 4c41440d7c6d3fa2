"""Gymnasium envs built from TaskSpecs, and their registration."""
