"""Documents keep every version of their file: a DocumentVersion per upload. A document's one stored file becomes
its version 1 (the same stored name, so its address stays), then the field goes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def file_to_first_version(apps, schema_editor):
    Document = apps.get_model("cooperation", "Document")
    DocumentVersion = apps.get_model("cooperation", "DocumentVersion")
    DocumentVersion.objects.bulk_create([
        DocumentVersion(document_id=document.pk, number=1, file=document.file.name, uploaded_at=document.updated_at)
        for document in Document.objects.exclude(file="").only("pk", "file", "updated_at")])


def first_version_to_file(apps, schema_editor):
    Document = apps.get_model("cooperation", "Document")
    DocumentVersion = apps.get_model("cooperation", "DocumentVersion")
    for version in DocumentVersion.objects.order_by("document_id", "-number"):  # the latest one wins
        Document.objects.filter(pk=version.document_id, file="").update(file=version.file.name)


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0003_meeting_workspace'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='url',
            field=models.URLField(blank=True, help_text='Where the document is published, if not (only) as a file here.', max_length=500, verbose_name='address'),
        ),
        migrations.CreateModel(
            name='DocumentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(editable=False, verbose_name='version')),
                ('file', models.FileField(upload_to='documents/%Y/', verbose_name='file')),
                ('note', models.TextField(blank=True, help_text='What changed, e.g. "adopted text" or "corrected annex 2".', verbose_name='note on the version')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='uploaded at')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='cooperation.document', verbose_name='document')),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'document version',
                'verbose_name_plural': 'document versions',
                'ordering': ['document', '-number'],
                'constraints': [models.UniqueConstraint(fields=('document', 'number'), name='document_version_unique')],
            },
        ),
        migrations.RunPython(file_to_first_version, first_version_to_file),
        migrations.RemoveField(
            model_name='document',
            name='file',
        ),
    ]
