"""The meeting's workspace: agenda items, numbered decisions, attendance and invitations as records.

The text fields they replace are moved without loss before they are dropped: each non-empty line of the agenda
becomes an item (its leading "1." or "-" taken off), each non-empty line of the decisions a decision numbered in
order, and every gmina represented a gmina present. Going back joins them again.
"""
import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s*")


def _lines(text):
    return [LIST_MARK.sub("", line).strip() for line in (text or "").splitlines() if LIST_MARK.sub("", line).strip()]


# In the state between the two steps the text field `decisions` and the decisions' reverse relation share a name,
# so the text is read and written through the queryset (which resolves the concrete field first), never through
# the attribute.
def text_to_records(apps, schema_editor):
    meeting_model = apps.get_model("cooperation", "Meeting")
    agenda_item = apps.get_model("cooperation", "AgendaItem")
    decision = apps.get_model("cooperation", "Decision")
    attendance = apps.get_model("cooperation", "Attendance")
    represented = meeting_model.units_represented.through
    for pk, agenda, decisions in meeting_model.objects.values_list("pk", "agenda", "decisions").iterator():
        agenda_item.objects.bulk_create(
            agenda_item(meeting_id=pk, position=i, title=line) for i, line in enumerate(_lines(agenda), 1))
        decision.objects.bulk_create(
            decision(meeting_id=pk, number=i, text=line) for i, line in enumerate(_lines(decisions), 1))
    attendance.objects.bulk_create(attendance(meeting_id=meeting_id, unit_id=unit_id, status="present")
                                   for meeting_id, unit_id in represented.objects.values_list("meeting_id", "unit_id"))


def records_to_text(apps, schema_editor):
    meeting_model = apps.get_model("cooperation", "Meeting")
    agenda_item = apps.get_model("cooperation", "AgendaItem")
    decision = apps.get_model("cooperation", "Decision")
    attendance = apps.get_model("cooperation", "Attendance")
    represented = meeting_model.units_represented.through
    for pk in meeting_model.objects.values_list("pk", flat=True).iterator():
        items = agenda_item.objects.filter(meeting_id=pk).order_by("position")
        taken = decision.objects.filter(meeting_id=pk).order_by("number")
        meeting_model.objects.filter(pk=pk).update(
            agenda="\n".join(f"{i.position}. {i.title}" for i in items),
            decisions="\n".join(f"{d.number}. {d.text}" for d in taken))
    represented.objects.bulk_create(
        represented(meeting_id=meeting_id, unit_id=unit_id) for meeting_id, unit_id in attendance.objects.filter(
            unit__isnull=False, status="present").values_list("meeting_id", "unit_id"))


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0002_documents_and_stated_date_precision'),
        ('strategy', '0003_action_plan_adoption_precision'),
        ('territory', '0002_alter_unit_teryt'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='meetingattachment',
            name='internal',
            field=models.BooleanField(default=False, help_text='Shown only to those who may write the meeting, never to the public.', verbose_name='for the forum only'),
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(default=0, help_text='The iCalendar SEQUENCE: raised whenever the time or place changed since the previous sending.', verbose_name='revision of the invitation')),
                ('sent_at', models.DateTimeField(verbose_name='sent at')),
                ('recipients', models.JSONField(default=list, help_text='E-mail, name and why each recipient was invited.', verbose_name='recipients')),
                ('schedule', models.JSONField(default=dict, verbose_name='time and place')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='cooperation.meeting', verbose_name='meeting')),
                ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'ordering': ['meeting', '-sent_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='position')),
                ('title', models.TextField(verbose_name='item')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agenda_items', to='cooperation.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'agenda item',
                'verbose_name_plural': 'agenda items',
                'ordering': ['meeting', 'position'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'position'), name='agenda_item_position_unique')],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('present', 'present'), ('absent', 'absent'), ('excused', 'excused')], max_length=16, verbose_name='attendance')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='cooperation.meeting', verbose_name='meeting')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='cooperation.partner', verbose_name='partner institution')),
                ('unit', models.ForeignKey(blank=True, limit_choices_to={'level': 'gmina'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='territory.unit', verbose_name='gmina')),
            ],
            options={
                'verbose_name': 'attendance',
                'verbose_name_plural': 'attendance',
                'ordering': ['meeting', 'unit__name', 'partner__name'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('partner__isnull', True), ('unit__isnull', False)), models.Q(('partner__isnull', False), ('unit__isnull', True)), _connector='OR'), name='attendance_of_a_gmina_or_a_partner', violation_error_message='Attendance is of one gmina or one partner.'), models.UniqueConstraint(condition=models.Q(('unit__isnull', False)), fields=('meeting', 'unit'), name='attendance_unit_unique'), models.UniqueConstraint(condition=models.Q(('partner__isnull', False)), fields=('meeting', 'partner'), name='attendance_partner_unique')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(editable=False, verbose_name='number')),
                ('text', models.TextField(verbose_name='decision')),
                ('effect', models.CharField(blank=True, choices=[('creates', 'creates'), ('changes', 'changes')], help_text='Whether the decision creates or changes the linked action or plan.', max_length=16, verbose_name='effect on the strategy')),
                ('follow_up', models.CharField(choices=[('open', 'to be done'), ('in-progress', 'in progress'), ('done', 'done'), ('dropped', 'dropped')], default='open', max_length=16, verbose_name='follow-up')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='strategy.action', verbose_name='action')),
                ('action_plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='strategy.actionplan', verbose_name='action plan')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='cooperation.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'decision',
                'verbose_name_plural': 'decisions',
                'ordering': ['meeting', 'number'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'number'), name='decision_number_unique'), models.CheckConstraint(condition=models.Q(('action__isnull', True), ('action_plan__isnull', True), _connector='OR'), name='decision_links_one_record', violation_error_message='Link either an action or an action plan, not both.')],
            },
        ),
        migrations.RunPython(text_to_records, records_to_text),
        migrations.RemoveField(
            model_name='meeting',
            name='agenda',
        ),
        migrations.RemoveField(
            model_name='meeting',
            name='decisions',
        ),
        migrations.RemoveField(
            model_name='meeting',
            name='units_represented',
        ),
    ]
