terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    # 6.14 is the first 6.x release with every argument used here
    # (google_cloud_run_v2_service.invoker_iam_disabled is the newest).
    google = {
      source  = "hashicorp/google"
      version = ">= 6.14.0, < 7.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0, < 4.0.0"
    }
  }
}
