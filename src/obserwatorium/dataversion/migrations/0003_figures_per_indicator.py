from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dataversion', '0002_figures_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='FiguresVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.BigIntegerField(db_index=True)),
                ('counter', models.BigIntegerField(default=0)),
                ('changed_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'figures version',
            },
        ),
        # The one figures version of every figure is now the slots of scope 0 (EVERY_FIGURE).
        migrations.RemoveField(
            model_name='dataversion',
            name='figures_changed_at',
        ),
        migrations.RemoveField(
            model_name='dataversion',
            name='figures_counter',
        ),
    ]
