from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0003_revisions")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Approval",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="ApprovalCredit",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Assessment",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="ChannelToken",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Choice",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Course",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="CoursePracticeArea",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Jurisdiction",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Lesson",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="MicroCredential",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="MicroCredentialCriterion",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Module",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Organization",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Pathway",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="PathwayMicroCredential",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="PracticeArea",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Question",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Requirement",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="Revision",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
        ops.AddField(
            model_name="User",
            name="revision",
            field=fields.UUIDField(null=True),
        ),
    ]
