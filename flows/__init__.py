"""Prefect flows: thin orchestration over the dexa layers."""

import os

from dexa.settings import apply_defaults

apply_defaults(verbose=os.environ.get("DEXA_VERBOSE") == "1")
