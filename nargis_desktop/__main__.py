import sys

from nargis_desktop.cli.main import main

sys.exit(main())
