# Translates template.yaml with the SAM translator (pip aws-sam-translator), offline, as
# `sam package` + CloudFormation's transform would: CodeUri becomes an S3 location first.
# Usage: python3 sam-translate.py template.yaml > translated.json
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicyLookup:
    """The template names AWS managed policies by ARN only, so IAM is never asked."""

    def load(self):
        return {}


os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
template = yaml_parse(open(sys.argv[1]).read())
template.get("Globals", {}).get("Function", {})["CodeUri"] = "s3://bucket/key"
for resource in template["Resources"].values():
    if resource["Type"] == "AWS::Serverless::Function":
        resource["Properties"]["CodeUri"] = "s3://bucket/key"
        resource.pop("Metadata", None)
print(json.dumps(transform(template, {}, NoManagedPolicyLookup()), indent=1))
