# Public hearings (issue 5): hearing pages, sessions, extra registration fields, registrations.

import django.core.serializers.json
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_suggestions"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HearingPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('description', wagtail.fields.RichTextField(help_text='What the hearing is about and who is invited.', verbose_name='description')),
                ('agenda', wagtail.fields.RichTextField(blank=True, verbose_name='agenda')),
                ('attendance_published', models.BooleanField(default=False, help_text='Show how many people registered and attended, once the hearing is over.', verbose_name='publish attendance figures')),
                ('minutes', models.ForeignKey(blank=True, help_text='The minutes of the hearing, published after it took place.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtaildocs.document', verbose_name='minutes')),
            ],
            options={
                'verbose_name': 'public hearing',
                'verbose_name_plural': 'public hearings',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='HearingFormField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('clean_name', models.CharField(blank=True, default='', help_text='Safe name of the form field, the label converted to ascii_snake_case', max_length=255, verbose_name='name')),
                ('label', models.CharField(help_text='The label of the form field', max_length=255, verbose_name='label')),
                ('field_type', models.CharField(choices=[('singleline', 'Single line text'), ('multiline', 'Multi-line text'), ('email', 'Email'), ('number', 'Number'), ('url', 'URL'), ('checkbox', 'Checkbox'), ('checkboxes', 'Checkboxes'), ('dropdown', 'Drop down'), ('multiselect', 'Multiple select'), ('radio', 'Radio buttons'), ('date', 'Date'), ('datetime', 'Date/time'), ('hidden', 'Hidden field')], max_length=16, verbose_name='field type')),
                ('required', models.BooleanField(default=True, verbose_name='required')),
                ('choices', models.TextField(blank=True, help_text='Comma or new line separated list of choices. Only applicable in checkboxes, radio and dropdown.', verbose_name='choices')),
                ('default_value', models.TextField(blank=True, help_text='Default value. Comma or new line separated values supported for checkboxes.', verbose_name='default value')),
                ('help_text', models.CharField(blank=True, max_length=255, verbose_name='help text')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='form_fields', to='consultations.hearingpage')),
            ],
            options={
                'verbose_name': 'extra registration field',
                'verbose_name_plural': 'extra registration fields',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='HearingSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('ends_at', models.DateTimeField(verbose_name='ends at')),
                ('place', models.CharField(help_text='e.g. the village meeting hall.', max_length=120, verbose_name='place')),
                ('address', models.CharField(max_length=200, verbose_name='address')),
                ('seats', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='seats')),
                ('registration_deadline', models.DateTimeField(help_text='Registration and the waitlist close at this moment.', verbose_name='registration deadline')),
                ('accessibility_notes', models.TextField(blank=True, help_text='Step-free access, hearing loop, seats reserved for older residents…', verbose_name='accessibility notes')),
                ('quota_affected', models.PositiveIntegerField(blank=True, null=True, verbose_name='quota: affected residents')),
                ('quota_non_registered', models.PositiveIntegerField(blank=True, null=True, verbose_name='quota: non-registered residents')),
                ('quota_expert', models.PositiveIntegerField(blank=True, null=True, verbose_name='quota: experts')),
                ('quota_organisation', models.PositiveIntegerField(blank=True, null=True, verbose_name='quota: organisation representatives')),
                ('quota_observer', models.PositiveIntegerField(blank=True, null=True, verbose_name='quota: observers')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='consultations.hearingpage')),
            ],
            options={
                'verbose_name': 'hearing session',
                'verbose_name_plural': 'hearing sessions',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('affected', 'Affected resident'), ('non_registered', 'Non-registered resident'), ('expert', 'Expert'), ('organisation', 'Organisation representative'), ('observer', 'Observer')], max_length=20, verbose_name='category')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('wishes_to_speak', models.BooleanField(default=False, verbose_name='wishes to speak')),
                ('speech_summary', models.TextField(blank=True, max_length=1000, verbose_name='summary of the speech')),
                ('extra_answers', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='answers to extra questions')),
                ('status', models.CharField(choices=[('confirmed', 'Confirmed'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled')], default='confirmed', max_length=20, verbose_name='status')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='registration code')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='registered at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='checked in at')),
                ('reminder_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='reminder sent at')),
                ('speaker_order', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='speaking order')),
                ('speaking_at', models.TimeField(blank=True, null=True, verbose_name='speaking time')),
                ('speaking_minutes', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='speaking minutes')),
                ('personal_data_purged_at', models.DateTimeField(blank=True, null=True, verbose_name='personal data purged at')),
                ('checked_in_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='checked in by')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='consultations.hearingsession', verbose_name='session')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='hearing_registrations', to=settings.AUTH_USER_MODEL, verbose_name='resident')),
            ],
            options={
                'verbose_name': 'hearing registration',
                'verbose_name_plural': 'hearing registrations',
                'ordering': ['created_at', 'pk'],
                'indexes': [models.Index(fields=['session', 'status', 'created_at'], name='hearing_reg_session_status_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('session', 'user'), name='hearing_one_active_registration_per_session')],
            },
        ),
    ]
