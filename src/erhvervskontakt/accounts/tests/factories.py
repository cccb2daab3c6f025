import factory

from erhvervskontakt.accounts.models import User


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@kommune.test")
    is_staff = True
    is_coordinator = False
