import consultations.suggestions.models
import django.core.serializers.json
import django.db.models.deletion
import modelcluster.fields
import wagtail.contrib.forms.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Residents' suggestions: the form page, its fields and the suggestions (issue 4)."""

    dependencies = [
        ("consultations", "0003_consultation_pages"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SuggestionFormPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('to_address', models.CharField(blank=True, help_text='Optional - form submissions will be emailed to these addresses. Separate multiple addresses by comma.', max_length=255, validators=[wagtail.contrib.forms.models.validate_to_address], verbose_name='to address')),
                ('from_address', models.EmailField(blank=True, max_length=255, verbose_name='from address')),
                ('subject', models.CharField(blank=True, max_length=255, verbose_name='subject')),
                ('intro', wagtail.fields.RichTextField(blank=True, help_text='What residents are asked, and what will happen to their suggestions.', verbose_name='introduction')),
                ('thank_you_text', wagtail.fields.RichTextField(blank=True, help_text='Shown after a resident submits a suggestion.', verbose_name='thank-you text')),
                ('opens', models.DateField(blank=True, help_text="Leave empty to follow the consultation's dates.", null=True, verbose_name='input opens')),
                ('closes', models.DateField(blank=True, help_text="Leave empty to follow the consultation's dates.", null=True, verbose_name='input closes')),
                ('max_per_resident', models.PositiveSmallIntegerField(default=3, help_text='How many suggestions one resident may submit on this page.', verbose_name='suggestions per resident')),
                ('allow_attachments', models.BooleanField(default=True, verbose_name='allow a photo or PDF attachment')),
                ('restrict_to_community', models.ForeignKey(blank=True, help_text='Leave empty to accept suggestions from every verified resident.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consultations.communitypage', verbose_name='only residents of')),
            ],
            options={
                'verbose_name': 'suggestion form',
                'verbose_name_plural': 'suggestion forms',
            },
            bases=(wagtail.contrib.forms.models.FormMixin, 'wagtailcore.page', models.Model),
        ),
        migrations.CreateModel(
            name='SuggestionFormField',
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
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='form_fields', to='consultations.suggestionformpage')),
            ],
            options={
                'verbose_name': 'suggestion form field',
                'verbose_name_plural': 'suggestion form fields',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('form_data', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('submit_time', models.DateTimeField(auto_now_add=True, verbose_name='submit time')),
                ('token', models.CharField(help_text='One per rendered form: a repeated post of the same form is one suggestion.', max_length=64, verbose_name='submission token')),
                ('show_name', models.BooleanField(default=False, verbose_name='show my name publicly')),
                ('attachment', models.FileField(blank=True, storage=consultations.suggestions.models.private_storage, upload_to=consultations.suggestions.models.attachment_path, verbose_name='attachment')),
                ('attachment_name', models.CharField(blank=True, max_length=255, verbose_name='attachment file name')),
                ('attachment_type', models.CharField(blank=True, max_length=50, verbose_name='attachment type')),
                ('status', models.CharField(choices=[('pending', 'Awaiting moderation'), ('published', 'Published'), ('rejected', 'Rejected'), ('merged', 'Merged into another suggestion')], db_index=True, default='pending', max_length=20, verbose_name='status')),
                ('rejection_reason', models.TextField(blank=True, verbose_name='reason for rejection')),
                ('moderated_at', models.DateTimeField(blank=True, null=True, verbose_name='moderated at')),
                ('answer_status', models.CharField(blank=True, choices=[('adopted', 'Adopted'), ('partly', 'Partly adopted'), ('not_adopted', 'Not adopted'), ('referred', "Referred to the residents' assembly"), ('out_of_scope', "Outside the consultation's scope")], db_index=True, max_length=20, verbose_name='answer')),
                ('answer', models.TextField(blank=True, verbose_name='explanation')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_suggestions', to='consultations.suggestion', verbose_name='merged into')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suggestions', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='consultations.suggestionformpage', verbose_name='suggestion form')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['-submit_time', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('page', 'token'), name='suggestion_unique_token_per_page')],
            },
        ),
    ]
