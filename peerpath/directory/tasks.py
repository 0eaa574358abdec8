"""Background work of the directory: importing an uploaded HSDS file."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from peerpath.core.models import ImportJob

from . import actions


@task()
def import_directory(job_id: int) -> str:
    job = ImportJob.objects.select_related("organization", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.WAITING:
        return job.status
    with translation.override(job.language):
        return actions.import_job_run(job).status
