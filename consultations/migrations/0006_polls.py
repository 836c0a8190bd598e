"""Advisory polls (issue 6): the poll page, the voter register, secret ballots and tallies."""

import django.db.models.deletion
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

import consultations.polls.models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_hearings"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PollPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                ('questions', wagtail.fields.StreamField([('question', 10)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 300}), 1: ('wagtail.blocks.TextBlock', (), {'label': 'Explanation', 'required': False}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('single', 'Single choice'), ('multiple', 'Multiple choice')], 'label': 'Kind of question'}), 3: ('wagtail.blocks.IntegerBlock', (), {'default': 1, 'help_text': 'For multiple choice: how many options a voter must choose at least.', 'label': 'Minimum choices', 'min_value': 1}), 4: ('wagtail.blocks.IntegerBlock', (), {'help_text': 'For multiple choice: at most this many (empty: no limit).', 'label': 'Maximum choices', 'min_value': 1, 'required': False}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Option', 'max_length': 200}), 6: ('wagtail.blocks.TextBlock', (), {'label': 'Description', 'required': False}), 7: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image', 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('label', 5), ('description', 6), ('image', 7)]], {}), 9: ('wagtail.blocks.ListBlock', (8,), {'label': 'Options', 'min_num': 2}), 10: ('wagtail.blocks.StructBlock', [[('text', 0), ('help_text', 1), ('kind', 2), ('min_choices', 3), ('max_choices', 4), ('options', 9)]], {})}, verbose_name='questions')),
                ('opens_at', models.DateTimeField(verbose_name='voting opens')),
                ('closes_at', models.DateTimeField(verbose_name='voting closes')),
                ('eligibility', models.CharField(choices=[('community', 'Verified residents of the communities the consultation covers'), ('any', 'Any verified resident'), ('codes', 'Holders of a one-time voting code')], default='community', max_length=20, verbose_name='who may vote')),
                ('secret', models.BooleanField(default=True, help_text="Untick for an open (named) vote: each voter's choice is then recorded with their name, and the page says so before voting.", verbose_name='secret ballot')),
                ('results_visibility', models.CharField(choices=[('live', 'Live, while the poll is open'), ('after_voting', 'To each voter after they have voted, to all after closing'), ('after_close', 'After the poll closes'), ('after_publish', 'After staff publish them')], default='after_close', max_length=20, verbose_name='results are shown')),
                ('results_published', models.BooleanField(default=False, verbose_name='results published')),
                ('results_published_at', models.DateTimeField(blank=True, null=True, verbose_name='results published at')),
            ],
            options={
                'verbose_name': 'advisory poll',
                'verbose_name_plural': 'advisory polls',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='PaperTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('meeting_date', models.DateField(verbose_name='meeting date')),
                ('voters', models.PositiveIntegerField(verbose_name='paper ballots cast')),
                ('counts', models.JSONField(default=dict, verbose_name='votes per option')),
                ('entered_at', models.DateTimeField(auto_now_add=True, verbose_name='entered at')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                ('minutes', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtaildocs.document', verbose_name='minutes')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='paper_tallies', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'paper tally',
                'verbose_name_plural': 'paper tallies',
                'ordering': ['meeting_date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CodeBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(blank=True, max_length=100, verbose_name='label')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('community', models.ForeignKey(blank=True, help_text='The community whose residents receive these codes (for the breakdown).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consultations.communitypage', verbose_name='community')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='code_batches', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'voting code batch',
                'verbose_name_plural': 'voting code batches',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Ballot',
            fields=[
                ('id', models.UUIDField(default=consultations.polls.models.random_ballot_id, editable=False, primary_key=True, serialize=False)),
                ('choices', models.JSONField(default=list, verbose_name='chosen options')),
                ('cast_on', models.DateField(verbose_name='cast on')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'ballot',
                'verbose_name_plural': 'ballots',
            },
        ),
        migrations.CreateModel(
            name='VoterRegister',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assisted', models.BooleanField(default=False, verbose_name='assisted at the community office')),
                ('voted_on', models.DateField(verbose_name='voted on')),
                ('assisted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assisted by')),
                ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consultations.communitypage', verbose_name='community')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='register', to='consultations.pollpage', verbose_name='poll')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='poll_register_entries', to=settings.AUTH_USER_MODEL, verbose_name='voter')),
            ],
            options={
                'verbose_name': 'voter register entry',
                'verbose_name_plural': 'voter register',
            },
        ),
        migrations.CreateModel(
            name='NamedVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choices', models.JSONField(default=list, verbose_name='chosen options')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='named_votes', to='consultations.pollpage', verbose_name='poll')),
                ('register_entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='named_vote', to='consultations.voterregister', verbose_name='voter register entry')),
            ],
            options={
                'verbose_name': 'named vote',
                'verbose_name_plural': 'named votes',
            },
        ),
        migrations.CreateModel(
            name='VotingCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='code')),
                ('used', models.BooleanField(default=False, verbose_name='used')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='consultations.codebatch', verbose_name='batch')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='voting_codes', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'voting code',
                'verbose_name_plural': 'voting codes',
                'ordering': ['pk'],
            },
        ),
        migrations.AddField(
            model_name='voterregister',
            name='voting_code',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='register_entry', to='consultations.votingcode', verbose_name='voting code'),
        ),
        migrations.CreateModel(
            name='OptionTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('option_id', models.CharField(max_length=36, verbose_name='option id')),
                ('votes', models.PositiveIntegerField(default=0, verbose_name='votes')),
                ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consultations.communitypage', verbose_name='community')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'option tally',
                'verbose_name_plural': 'option tallies',
                'constraints': [models.UniqueConstraint(condition=models.Q(('community__isnull', False)), fields=('poll', 'option_id', 'community'), name='poll_tally_unique'), models.UniqueConstraint(condition=models.Q(('community__isnull', True)), fields=('poll', 'option_id'), name='poll_tally_unique_no_community')],
            },
        ),
        migrations.CreateModel(
            name='PollTurnout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('voters', models.PositiveIntegerField(default=0, verbose_name='voters')),
                ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consultations.communitypage', verbose_name='community')),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='turnout', to='consultations.pollpage', verbose_name='poll')),
            ],
            options={
                'verbose_name': 'poll turnout',
                'verbose_name_plural': 'poll turnout',
                'constraints': [models.UniqueConstraint(condition=models.Q(('community__isnull', False)), fields=('poll', 'community'), name='poll_turnout_unique'), models.UniqueConstraint(condition=models.Q(('community__isnull', True)), fields=('poll',), name='poll_turnout_unique_no_community')],
            },
        ),
        migrations.AddIndex(
            model_name='voterregister',
            index=models.Index(fields=['poll', 'voted_on'], name='poll_register_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='voterregister',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('poll', 'user'), name='poll_register_one_per_user'),
        ),
        migrations.AddConstraint(
            model_name='voterregister',
            constraint=models.UniqueConstraint(condition=models.Q(('voting_code__isnull', False)), fields=('poll', 'voting_code'), name='poll_register_one_per_code'),
        ),
    ]
