// LMC Hub: progressive enhancements only. Every page works without this file.
"use strict";
