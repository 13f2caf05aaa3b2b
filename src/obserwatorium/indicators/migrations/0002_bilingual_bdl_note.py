# The BDL note in Polish and English; the earlier single note was written in English, so it keeps its text as
# the English one and the preset fills the Polish one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0001_initial'),
    ]

    operations = [
        migrations.RenameField(
            model_name='indicator',
            old_name='bdl_note',
            new_name='bdl_note_en',
        ),
        migrations.AlterField(
            model_name='indicator',
            name='bdl_note_en',
            field=models.CharField(blank=True, max_length=300, verbose_name='BDL note (English)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='bdl_note_pl',
            field=models.CharField(blank=True, help_text='Caveat on the BDL variable, e.g. published for powiaty only.', max_length=300, verbose_name='BDL note (Polish)'),
        ),
    ]
