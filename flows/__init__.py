"""Prefect flows: thin orchestration over the dexa layers."""
