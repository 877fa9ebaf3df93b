"""The weekly digest: ranked organizations, why now, evidence and links."""
