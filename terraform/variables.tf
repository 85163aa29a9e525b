variable "project_id" {
  type        = string
  description = "Google Cloud project to deploy into (its ID, not its name or number)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID: 6 to 30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "Region of the Cloud Run service, the database, Redis and the subnet, e.g. europe-west1."
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1 or europe-west1."
  }
}

variable "name" {
  type        = string
  description = "Name of the Cloud Run service and prefix of every other resource's name."
  default     = "boardcast"

  validation {
    # Short enough for the longest derived name (the service account ID, at most 30 characters).
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name))
    error_message = "name must be 2 to 20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "image" {
  type        = string
  description = "Container image of the app in Artifact Registry, built from the repository's Dockerfile, e.g. us-central1-docker.pkg.dev/my-project/boardcast/app:0.1.0."

  validation {
    condition     = can(regex("^[a-z0-9-]+-docker\\.pkg\\.dev/[^/]+/[^/]+/[^:@]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.image))
    error_message = "image must be an Artifact Registry image with a tag or digest: REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG."
  }
}

variable "min_instances" {
  type        = number
  description = "Fewest Cloud Run instances kept running. 0 scales to zero when idle (the next request waits for a start)."
  default     = 0

  validation {
    condition     = var.min_instances >= 0 && var.min_instances == floor(var.min_instances)
    error_message = "min_instances must be a whole number, 0 or more."
  }
}

variable "max_instances" {
  type        = number
  description = "Most Cloud Run instances. Each holds up to database_pool_size database connections."
  default     = 5

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000 && var.max_instances == floor(var.max_instances)
    error_message = "max_instances must be a whole number from 1 to 1000."
  }
}

variable "concurrency" {
  type        = number
  description = "Most concurrent requests per instance. Every open WebSocket (graphql-ws connection) counts as one."
  default     = 500

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000 && var.concurrency == floor(var.concurrency)
    error_message = "concurrency must be a whole number from 1 to 1000."
  }
}

variable "cpu" {
  type        = string
  description = "vCPUs per instance."
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of 1, 2, 4, 6 or 8."
  }
}

variable "memory" {
  type        = string
  description = "Memory per instance, e.g. 1Gi (the JVM takes 70% of it as heap)."
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a size in Mi or Gi, e.g. 1Gi or 1536Mi."
  }
}

variable "request_timeout_seconds" {
  type        = number
  description = "Longest request, which bounds a WebSocket's life; clients then reconnect and resume from their cursor."
  default     = 3600

  validation {
    condition     = var.request_timeout_seconds >= 60 && var.request_timeout_seconds <= 3600 && var.request_timeout_seconds == floor(var.request_timeout_seconds)
    error_message = "request_timeout_seconds must be a whole number from 60 to 3600 (Cloud Run's limit)."
  }
}

variable "oidc_issuer_uri" {
  type        = string
  description = "OpenID Connect issuer whose JWTs the app accepts, exactly as the tokens' iss claim (Auth0's ends with a slash); its discovery document is at ISSUER/.well-known/openid-configuration."

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.oidc_issuer_uri))
    error_message = "oidc_issuer_uri must be an https URL."
  }
}

variable "oidc_audiences" {
  type        = list(string)
  description = "Accepted JWT audiences (aud claim) of the access tokens: the API identifier of Boardcast at the issuer (with Auth0, the API's identifier; with Keycloak, the client an audience mapper adds). Tokens for other audiences are refused. The web client requests the first."

  validation {
    condition     = length(var.oidc_audiences) > 0 && alltrue([for audience in var.oidc_audiences : can(regex("^[^,\\s]+$", audience))])
    error_message = "oidc_audiences must name at least one audience; audiences contain no commas or spaces."
  }
}

variable "oidc_web_client_id" {
  type        = string
  description = "Client ID at the issuer of the web client served at / (a public client: authorization code + PKCE, redirect URI https://YOUR-HOST/). Empty uses the first of oidc_audiences, right for issuers whose access tokens carry the client ID as audience."
  default     = ""

  validation {
    condition     = can(regex("^[^,\\s]*$", var.oidc_web_client_id))
    error_message = "oidc_web_client_id contains no commas or spaces."
  }
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Browser origins allowed to call the API, e.g. [\"https://boards.example.com\"]. Empty allows none (same-origin and non-browser clients still work)."
  default     = []

  validation {
    condition     = alltrue([for origin in var.cors_allowed_origins : can(regex("^https?://[^/,\\s]+$", origin))])
    error_message = "Each CORS origin must be scheme://host[:port] with no path, e.g. https://boards.example.com."
  }
}

variable "events_retention" {
  type        = string
  description = "How long board events stay in the event log; a client resuming from an older cursor gets CURSOR_EXPIRED and refetches. A duration such as 7d or 36h."
  default     = "7d"

  validation {
    condition     = can(regex("^[1-9][0-9]*(m|h|d)$", var.events_retention))
    error_message = "events_retention must be a positive whole number of minutes, hours or days, e.g. 90m, 36h or 7d."
  }
}

variable "database_version" {
  type        = string
  description = "Cloud SQL PostgreSQL major version."
  default     = "POSTGRES_17"

  validation {
    condition     = contains(["POSTGRES_15", "POSTGRES_16", "POSTGRES_17"], var.database_version)
    error_message = "database_version must be POSTGRES_15, POSTGRES_16 or POSTGRES_17."
  }
}

variable "database_tier" {
  type        = string
  description = "Cloud SQL machine type (Enterprise edition), e.g. db-custom-1-3840 (1 vCPU, 3.75 GB) or db-g1-small for a trial."
  default     = "db-custom-1-3840"

  validation {
    condition     = can(regex("^db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+|n1-(standard|highmem)-[0-9]+)$", var.database_tier))
    error_message = "database_tier must be a Cloud SQL Enterprise tier such as db-custom-1-3840, db-g1-small or db-n1-standard-2."
  }
}

variable "database_high_availability" {
  type        = bool
  description = "Run Cloud SQL as a regional (high-availability) instance with a standby in a second zone."
  default     = false
}

variable "database_deletion_protection" {
  type        = bool
  description = "Refuse to delete the Cloud SQL instance (and its data). Set to false and apply before terraform destroy."
  default     = true
}

variable "database_max_connections" {
  type        = number
  description = "PostgreSQL max_connections. Must cover max_instances * database_pool_size plus 10."
  default     = 100

  validation {
    condition     = var.database_max_connections >= 25 && var.database_max_connections <= 5000 && var.database_max_connections == floor(var.database_max_connections)
    error_message = "database_max_connections must be a whole number from 25 to 5000."
  }
}

variable "database_pool_size" {
  type        = number
  description = "Most database connections per Cloud Run instance (the app's R2DBC pool)."
  default     = 10

  validation {
    condition     = var.database_pool_size >= 2 && var.database_pool_size <= 100 && var.database_pool_size == floor(var.database_pool_size)
    error_message = "database_pool_size must be a whole number from 2 to 100."
  }
}

variable "redis_tier" {
  type        = string
  description = "Memorystore tier: BASIC (one node) or STANDARD_HA (replicated, automatic failover)."
  default     = "BASIC"

  validation {
    condition     = contains(["BASIC", "STANDARD_HA"], var.redis_tier)
    error_message = "redis_tier must be BASIC or STANDARD_HA."
  }
}

variable "redis_memory_size_gb" {
  type        = number
  description = "Memorystore capacity in GB. Redis only relays events between instances, so the minimum is plenty."
  default     = 1

  validation {
    condition     = var.redis_memory_size_gb >= 1 && var.redis_memory_size_gb <= 300 && var.redis_memory_size_gb == floor(var.redis_memory_size_gb)
    error_message = "redis_memory_size_gb must be a whole number from 1 to 300."
  }
}

variable "redis_version" {
  type        = string
  description = "Memorystore Redis version."
  default     = "REDIS_7_2"

  validation {
    condition     = can(regex("^REDIS_[6-9]_[0-9]$", var.redis_version))
    error_message = "redis_version must be a Memorystore version such as REDIS_7_2 or REDIS_7_0."
  }
}

variable "run_subnet_cidr" {
  type        = string
  description = "Subnet from which Cloud Run instances take their VPC addresses (Direct VPC egress uses about two per instance; /26 is the smallest allowed)."
  default     = "10.8.0.0/24"

  validation {
    condition     = can(cidrhost(var.run_subnet_cidr, 0)) && try(tonumber(split("/", var.run_subnet_cidr)[1]) <= 26, false)
    error_message = "run_subnet_cidr must be an IPv4 CIDR block of /26 or larger, e.g. 10.8.0.0/24."
  }
}

variable "private_services_prefix_length" {
  type        = number
  description = "Size (prefix length) of the address range reserved in the VPC for Cloud SQL and Memorystore (private services access)."
  default     = 20

  validation {
    condition     = var.private_services_prefix_length >= 8 && var.private_services_prefix_length <= 24
    error_message = "private_services_prefix_length must be from 8 to 24 (Cloud SQL needs at least a /24)."
  }
}

variable "domain" {
  type        = string
  description = "Optional domain, e.g. boards.example.com. When set, a global external HTTPS load balancer with a Google-managed certificate serves it, and Cloud Run accepts traffic only from the load balancer. Point the domain's A record at the load_balancer_ip output. Empty uses Cloud Run's own run.app URL."
  default     = ""

  validation {
    condition     = var.domain == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be empty or a lowercase DNS name such as boards.example.com."
  }
}
