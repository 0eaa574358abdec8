"""Background work of the core app: checking and writing an import, step by step."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from . import imports
from .models import ImportJob


@task()
def check_import(job_id: int) -> str:
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language):
        return imports.job_check(job).status


@task()
def write_import(job_id: int) -> str:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status
    with translation.override(job.language):
        return imports.job_write(job).status


@task()
def make_download(download_id: int) -> str:
    from .downloads import download_make

    return download_make(download_id)
