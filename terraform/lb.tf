# Optional (when var.domain is set): a global external Application Load Balancer in front of
# Cloud Run, with a Google-managed certificate for the domain and an HTTP-to-HTTPS redirect.
# WebSockets pass through it; for a serverless backend the socket's lifetime is the Cloud Run
# request timeout (the backend service's own timeout does not apply).

resource "google_compute_global_address" "lb" {
  count = local.load_balanced ? 1 : 0

  name = "${var.name}-lb"

  depends_on = [google_project_service.enabled]
}

resource "google_compute_region_network_endpoint_group" "app" {
  count = local.load_balanced ? 1 : 0

  name                  = "${var.name}-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.app.name
  }
}

resource "google_compute_backend_service" "app" {
  count = local.load_balanced ? 1 : 0

  name                  = "${var.name}-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"

  backend {
    group = google_compute_region_network_endpoint_group.app[0].id
  }

  log_config {
    enable = true
  }
}

resource "google_compute_url_map" "https" {
  count = local.load_balanced ? 1 : 0

  name            = "${var.name}-https"
  default_service = google_compute_backend_service.app[0].id
}

# Provisioning starts once the domain's A record points at the load balancer's address and
# can take up to an hour; until then HTTPS requests to the domain fail.
resource "google_compute_managed_ssl_certificate" "app" {
  count = local.load_balanced ? 1 : 0

  name = "${var.name}-cert"

  managed {
    domains = [var.domain]
  }
}

resource "google_compute_target_https_proxy" "app" {
  count = local.load_balanced ? 1 : 0

  name             = "${var.name}-https"
  url_map          = google_compute_url_map.https[0].id
  ssl_certificates = [google_compute_managed_ssl_certificate.app[0].id]
}

resource "google_compute_global_forwarding_rule" "https" {
  count = local.load_balanced ? 1 : 0

  name                  = "${var.name}-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb[0].id
  port_range            = "443"
  target                = google_compute_target_https_proxy.app[0].id
}

resource "google_compute_url_map" "http_redirect" {
  count = local.load_balanced ? 1 : 0

  name = "${var.name}-http-redirect"

  default_url_redirect {
    https_redirect = true
    strip_query    = false
  }
}

resource "google_compute_target_http_proxy" "redirect" {
  count = local.load_balanced ? 1 : 0

  name    = "${var.name}-http-redirect"
  url_map = google_compute_url_map.http_redirect[0].id
}

resource "google_compute_global_forwarding_rule" "http" {
  count = local.load_balanced ? 1 : 0

  name                  = "${var.name}-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb[0].id
  port_range            = "80"
  target                = google_compute_target_http_proxy.redirect[0].id
}
