"""What the promise dashboard measures, stored on the case row (issue 7, decision 1).

The columns only; 0006 fills them for the cases already there, 0007 indexes them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_workbench_search_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='answer_working_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='arbejdsdage fra screening til svar'),
        ),
        migrations.AddField(
            model_name='case',
            name='answered_on',
            field=models.DateField(blank=True, null=True, verbose_name='besvaret dato'),
        ),
        migrations.AddField(
            model_name='case',
            name='estimate_deviation_working_days',
            field=models.SmallIntegerField(blank=True, null=True, verbose_name='svar i forhold til lovet dato (arbejdsdage, negativ = før)'),
        ),
        migrations.AddField(
            model_name='case',
            name='promised_answer_date',
            field=models.DateField(blank=True, help_text='Svardatoen givet ved screeningen, kun flyttet af de arbejdsdage, sagen ventede på virksomheden (ikke af senere ændringer i hånden).', null=True, verbose_name='lovet svardato'),
        ),
        migrations.AddField(
            model_name='case',
            name='screened_on',
            field=models.DateField(blank=True, null=True, verbose_name='screenet dato'),
        ),
        migrations.AddField(
            model_name='case',
            name='screening_working_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='arbejdsdage fra modtagelse til screening'),
        ),
        migrations.AddField(
            model_name='case',
            name='service_target_met',
            field=models.BooleanField(blank=True, null=True, verbose_name='nationalt servicemål nået'),
        ),
    ]
