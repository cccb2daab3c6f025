"""Who a person is when they log in through a national or municipal identity provider.

Businesses come through NemLog-in (MitID Erhverv, OIOSAML 3), staff through the municipality's
Entra ID (OpenID Connect). This app holds the domain side of both: the configuration behind one
small interface (``config.current``), the link between an external identity and our user
(``ExternalIdentity``), the login log (``LoginEvent``, kept 180 days), the assertion replay
guard and the staff role mapping. The login endpoints themselves are interface code (the
portal's and the workbench's); they call the services here. See docs/decisions/0011.
"""
