"""Outcome announcements, decision items, progress, feedback digests, the legal review task.

Also installs the legal reviewers group and the shared legal review task (they do not
depend on pages); the per-community outcome workflows are created lazily by
`consultations.outcomes.operations.ensure_outcome_workflow` (and by `load_demo`).
"""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def install_legal_review(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LegalReviewTask = apps.get_model("consultations", "LegalReviewTask")
    group, _ = Group.objects.get_or_create(name="法律审核 legal reviewers")
    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if permission:
        group.permissions.add(permission)
    if not LegalReviewTask.objects.filter(name="法律审核 legal review").exists():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="consultations", model="legalreviewtask"
        )
        LegalReviewTask.objects.create(
            name="法律审核 legal review", reviewers=group, content_type=content_type, active=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0006_polls"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('decision', models.TextField(verbose_name='decision')),
                ('status', models.CharField(choices=[('adopted', 'Adopted'), ('partly_adopted', 'Partly adopted'), ('not_adopted', 'Not adopted'), ('referred', "Referred to the residents' assembly"), ('reported', 'Reported to the township or government')], default='adopted', max_length=20, verbose_name='status')),
                ('reason', models.TextField(blank=True, help_text='Required when the item is not adopted: the reason residents are given.', verbose_name='reason')),
                ('implementation', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('not_applicable', 'Not applicable')], default='not_started', max_length=20, verbose_name='implementation')),
                ('responsible', models.CharField(blank=True, max_length=120, verbose_name='responsible person or body')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                ('assembly_date', models.DateField(blank=True, null=True, verbose_name='assembly date')),
                ('votes_for', models.PositiveIntegerField(blank=True, null=True, verbose_name='votes for')),
                ('votes_against', models.PositiveIntegerField(blank=True, null=True, verbose_name='votes against')),
                ('votes_abstain', models.PositiveIntegerField(blank=True, null=True, verbose_name='abstentions')),
                ('attendance', models.PositiveIntegerField(blank=True, null=True, verbose_name='attendance')),
                ('quorum_met', models.BooleanField(blank=True, null=True, verbose_name='quorum met')),
                ('assembly_result', models.CharField(blank=True, choices=[('', 'Not yet decided'), ('approved', 'Approved by the assembly'), ('rejected', 'Rejected by the assembly'), ('no_quorum', 'No decision: quorum not met')], default='', max_length=20, verbose_name='assembly result')),
            ],
            options={
                'verbose_name': 'decision item',
                'verbose_name_plural': 'decision items',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='DeadlineReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120, unique=True, verbose_name='key')),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consultations.consultationpage', verbose_name='consultation')),
            ],
            options={
                'verbose_name': 'deadline reminder',
                'verbose_name_plural': 'deadline reminders',
            },
        ),
        migrations.CreateModel(
            name='LegalReviewTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                ('reviewers', models.ForeignKey(help_text='Members of this group confirm that an outcome is lawful.', on_delete=django.db.models.deletion.PROTECT, related_name='legal_review_tasks', to='auth.group', verbose_name='legal reviewers')),
            ],
            options={
                'verbose_name': 'legal review task',
                'verbose_name_plural': 'legal review tasks',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.CreateModel(
            name='OutcomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('opinion', wagtail.fields.RichTextField(help_text='The opinion the consultation arrived at.', verbose_name='consultation opinion (协商意见)')),
                ('held_from', models.DateField(blank=True, null=True, verbose_name='consultation held from')),
                ('held_until', models.DateField(blank=True, null=True, verbose_name='consultation held until')),
                ('how_held', models.TextField(blank=True, help_text='Format, participants and anything the figures below do not say (e.g. an offline meeting). Figures from the hearing, poll and suggestions are added automatically.', verbose_name='how the consultation was held')),
                ('dissent_explanation', wagtail.fields.RichTextField(blank=True, help_text='Why views that were not followed were not followed (三(五)).', verbose_name='explanation to those who disagreed')),
                ('consultation_page', models.ForeignKey(blank=True, editable=False, help_text="The parent consultation, kept for the tracker's filters.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consultations.consultationpage', verbose_name='consultation')),
            ],
            options={
                'verbose_name': 'outcome announcement',
                'verbose_name_plural': 'outcome announcements',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='OutcomeEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('published', 'Outcome published'), ('status', 'Decision status changed'), ('progress', 'Implementation status changed')], max_length=20, verbose_name='kind')),
                ('old_status', models.CharField(blank=True, max_length=20, verbose_name='old status')),
                ('new_status', models.CharField(blank=True, max_length=20, verbose_name='new status')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='created at')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='consultations.decisionitem', verbose_name='decision item')),
                ('outcome', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='consultations.outcomepage', verbose_name='outcome')),
            ],
            options={
                'verbose_name': 'outcome event',
                'verbose_name_plural': 'outcome events',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='decisionitem',
            name='page',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='decision_items', to='consultations.outcomepage'),
        ),
        migrations.CreateModel(
            name='ProgressUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                ('text', models.TextField(verbose_name='what was done')),
                ('new_status', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('not_applicable', 'Not applicable')], help_text='Leave empty when the status does not change.', max_length=20, verbose_name='new implementation status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtaildocs.document', verbose_name='document')),
                ('image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='photo')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='consultations.decisionitem', verbose_name='item')),
            ],
            options={
                'verbose_name': 'progress update',
                'verbose_name_plural': 'progress updates',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CommunityFollow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='followed since')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followers', to='consultations.communitypage', verbose_name='community')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='community_follows', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'community follow',
                'verbose_name_plural': 'community follows',
                'constraints': [models.UniqueConstraint(fields=('user', 'community'), name='unique_community_follow')],
            },
        ),
        migrations.CreateModel(
            name='FeedbackDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcome_digests', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('events', models.ManyToManyField(blank=True, related_name='digests', to='consultations.outcomeevent', verbose_name='events')),
            ],
            options={
                'verbose_name': 'feedback digest',
                'verbose_name_plural': 'feedback digests',
                'constraints': [models.UniqueConstraint(fields=('user', 'day'), name='unique_outcome_digest_per_day')],
            },
        ),
        migrations.AddField(
            model_name='decisionitem',
            name='informed_by_poll',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='informed_decisions', to='consultations.pollpage', verbose_name='poll that informed it'),
        ),
        migrations.AddField(
            model_name='decisionitem',
            name='suggestions',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='decision_items', to='consultations.suggestion', verbose_name='suggestions it answers'),
        ),
        migrations.RunPython(install_legal_review, migrations.RunPython.noop),
    ]
