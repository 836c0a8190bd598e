"""Keys from community and area pages to the groups, tasks and workflows they own."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("consultations", "0007_outcomes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="communityindexpage",
            name="approval_task",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.groupapprovaltask",
                verbose_name="approval task",
            ),
        ),
        migrations.AddField(
            model_name="communityindexpage",
            name="approval_workflow",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.workflow",
                verbose_name="approval workflow",
            ),
        ),
        migrations.AddField(
            model_name="communityindexpage",
            name="area_review_task",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.groupapprovaltask",
                verbose_name="community review task",
            ),
        ),
        migrations.AddField(
            model_name="communityindexpage",
            name="officials_group",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="auth.group",
                verbose_name="officials group",
            ),
        ),
        migrations.AddField(
            model_name="communityindexpage",
            name="outcome_workflow",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.workflow",
                verbose_name="outcome workflow",
            ),
        ),
        migrations.AddField(
            model_name="communitypage",
            name="editors_group",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="auth.group",
                verbose_name="editors group",
            ),
        ),
        migrations.AddField(
            model_name="communitypage",
            name="outcome_workflow",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.workflow",
                verbose_name="outcome workflow",
            ),
        ),
        migrations.AddField(
            model_name="communitypage",
            name="review_task",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.groupapprovaltask",
                verbose_name="review task",
            ),
        ),
        migrations.AddField(
            model_name="communitypage",
            name="review_workflow",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.workflow",
                verbose_name="review workflow",
            ),
        ),
        migrations.AddField(
            model_name="communitypage",
            name="reviewers_group",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="auth.group",
                verbose_name="reviewers group",
            ),
        ),
    ]
