# The helpdesk's pages: tickets, projects, the staff queue, the standby planner.
