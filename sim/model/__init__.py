"""The Mesa model (:class:`CommunityModel`), its agents and the population measures it records."""

from sim.model.community_model import CommunityModel, build_population, recruitment_start

__all__ = ["CommunityModel", "build_population", "recruitment_start"]
