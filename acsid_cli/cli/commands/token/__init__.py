"""acsid token issue|revoke|get-for-teams-user|inspect, a module each; and az's deprecated issue-access-token."""
