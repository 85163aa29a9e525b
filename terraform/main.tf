provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  # With a domain, users reach the service through the global HTTPS load balancer (lb.tf);
  # without one, through Cloud Run's own https://*.run.app endpoint.
  load_balanced = var.domain != ""
  base_url      = local.load_balanced ? "https://${var.domain}" : google_cloud_run_v2_service.app.uri

  # r2dbc-postgresql connects without TLS unless asked; the instance only accepts encrypted
  # connections (database.tf). Flyway's JDBC URL is derived from this one by the app, and
  # the JDBC driver negotiates TLS on its own (sslmode=prefer).
  r2dbc_url = "r2dbc:postgresql://${google_sql_database_instance.main.private_ip_address}:5432/${google_sql_database.app.name}?sslMode=require"

  # The APIs the deployment uses (the Service Usage API, which enables them, is on in every
  # new project).
  services = [
    "artifactregistry.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
  ]
}

resource "google_project_service" "enabled" {
  for_each = toset(local.services)

  service = each.value
  # Other workloads in the project may use these APIs too.
  disable_on_destroy = false
}

# The GraphQL server. Stateless: any number of instances share PostgreSQL (truth and event
# log) and Redis (fan-out of events between instances).
resource "google_cloud_run_v2_service" "app" {
  name     = var.name
  location = var.region
  ingress  = local.load_balanced ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL"

  # Anyone may call the endpoint: the app authenticates every request itself (OIDC JWT in
  # the Authorization header, or in graphql-ws connection_init). This, unlike an allUsers
  # run.invoker grant, also works under the domain-restricted-sharing organisation policy.
  invoker_iam_disabled = true

  # Stateless; the data lives in Cloud SQL, which has its own deletion protection.
  deletion_protection = false

  template {
    service_account                  = google_service_account.run.email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    max_instance_request_concurrency = var.concurrency
    # A graphql-ws subscription is one long request. Cloud Run closes it at this timeout;
    # the client reconnects (to any instance) and resumes from its last cursor, missing nothing.
    timeout = "${var.request_timeout_seconds}s"

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    # Direct VPC egress: private addresses (Cloud SQL, Memorystore) go through the VPC,
    # everything else (the OIDC issuer's keys) straight to the internet.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.main.id
        subnetwork = google_compute_subnetwork.run.id
      }
    }

    containers {
      image = var.image

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      # Every variable set here must be one the app reads: TerraformConfigTest checks this
      # list against app/src/main/resources/application*.yml. Cloud Run sets PORT itself.
      env {
        name  = "SPRING_PROFILES_ACTIVE"
        value = "prod"
      }
      env {
        name  = "SPRING_R2DBC_URL"
        value = local.r2dbc_url
      }
      env {
        name  = "SPRING_R2DBC_USERNAME"
        value = google_sql_user.app.name
      }
      env {
        name = "SPRING_R2DBC_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.db_password.secret_id
            version = google_secret_manager_secret_version.db_password.version
          }
        }
      }
      env {
        # Each instance holds at most this many connections: max_instances times this stays
        # below the database's max_connections (checked below).
        name  = "BOARDCAST_DB_POOL_SIZE"
        value = tostring(var.database_pool_size)
      }
      env {
        name  = "SPRING_DATA_REDIS_HOST"
        value = google_redis_instance.events.host
      }
      env {
        name  = "SPRING_DATA_REDIS_PORT"
        value = tostring(google_redis_instance.events.port)
      }
      env {
        name  = "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"
        value = var.oidc_issuer_uri
      }
      env {
        name  = "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES"
        value = join(",", var.oidc_audiences)
      }
      env {
        # Handed to the web client (GET /auth/config) for its sign-in.
        name  = "BOARDCAST_OIDC_CLIENT_ID"
        value = var.oidc_web_client_id != "" ? var.oidc_web_client_id : var.oidc_audiences[0]
      }
      env {
        name  = "BOARDCAST_CORS_ALLOWED_ORIGINS"
        value = join(",", var.cors_allowed_origins)
      }
      env {
        name  = "BOARDCAST_EVENTS_RETENTION"
        value = var.events_retention
      }

      # Readiness includes PostgreSQL and Redis, so an instance takes traffic only once it
      # can serve it (Flyway has migrated, Redis answers).
      startup_probe {
        http_get {
          path = "/actuator/health/readiness"
        }
        period_seconds    = 2
        timeout_seconds   = 2
        failure_threshold = 60
      }

      liveness_probe {
        http_get {
          path = "/actuator/health/liveness"
        }
        period_seconds    = 15
        timeout_seconds   = 3
        failure_threshold = 3
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.max_instances >= var.min_instances
      error_message = "max_instances must be at least min_instances."
    }
    precondition {
      # Ten connections stay free for Flyway at start-up and for an operator's psql.
      condition     = var.max_instances * var.database_pool_size + 10 <= var.database_max_connections
      error_message = "max_instances * database_pool_size + 10 must not exceed database_max_connections."
    }
  }

  depends_on = [
    google_project_service.enabled,
    # Cloud Run checks at deploy time that the service account can read the secret.
    google_secret_manager_secret_iam_member.run_db_password,
  ]
}
