import factory

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business, Membership


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    cvr = factory.Sequence(lambda n: synthetic_cvr(n + 1))
    name = factory.Sequence(lambda n: f"Virksomhed {n} ApS")
    address = "Vestergade 1"
    postcode = "5000"
    city = "Odense C"


class BusinessUserFactory(factory.django.DjangoModelFactory):
    """A portal user acting for ``business``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@firma.test")
    email = factory.LazyAttribute(lambda u: u.username)
    first_name = "Ejer"
    is_staff = False

    @factory.post_generation
    def business(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted is not None:
            Membership.objects.get_or_create(user=self, business=extracted)
