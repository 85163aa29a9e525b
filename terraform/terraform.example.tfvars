# Copy to terraform.tfvars, fill in, then: terraform init && terraform apply
# The first four are required; the rest show their defaults or an example.

project_id = "my-project"
image      = "us-central1-docker.pkg.dev/my-project/boardcast/app:0.1.0"

# The OpenID Connect provider that signs your users' access tokens (JWTs), the audience those
# tokens carry for Boardcast, and the client ID of the web client (redirect URI: the app's URL
# with a trailing slash). With Auth0: an API (its identifier is the audience) and a
# single-page application (its client ID).
oidc_issuer_uri    = "https://example.eu.auth0.com/"
oidc_audiences     = ["https://boardcast.example.com/api"]
oidc_web_client_id = "YOUR_SPA_CLIENT_ID"

region = "us-central1"
name   = "boardcast"

# The app serves its web client itself; list other browser origins that call the API.
cors_allowed_origins = []

min_instances = 0
max_instances = 5

# A domain puts a global HTTPS load balancer with a managed certificate in front.
# domain = "boards.example.com"

database_tier                = "db-custom-1-3840"
database_high_availability   = false
database_deletion_protection = true
redis_tier                   = "BASIC"
events_retention             = "7d"
