"""Signals of the observatory's write path."""

from django.dispatch import Signal

# Sent inside the writing transaction after a batch changed stored values;
# arguments: batch (ImportBatch), indicator_ids (set[int]), user.
observations_written = Signal()
