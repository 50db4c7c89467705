from shequ_desktop.app import main

raise SystemExit(main())
