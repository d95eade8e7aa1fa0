import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

ROLES = {"editor": "Editors", "moderator": "Moderators"}


class Command(BaseCommand):
    help = (
        "Create a staff account for the admin in the Editors (or Moderators) "
        "group. The password is asked for and never has a default."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")

    def handle(self, username, email, role, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} exists already.")
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(
                f"The {ROLES[role]} group is missing: run migrate first."
            ) from None
        user = User(username=username, email=email, is_staff=True)
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            break
        else:
            raise CommandError("No account created.")
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(f"{ROLES[role][:-1]} {username!r} created.")
        )
