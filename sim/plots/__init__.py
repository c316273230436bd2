"""Figures of the population and its personal communities (each function returns a Figure).

Library code draws on :class:`matplotlib.figure.Figure` objects, never pyplot's global state;
callers save the figures. Import the plotting functions from their modules, e.g.
``from sim.plots.community_map import plot_community_map``.
"""
