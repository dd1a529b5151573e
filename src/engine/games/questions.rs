//! TRIVIA's question pool, shipped with the engine (the prototype fetched OpenTDB at spawn and fell
//! back to 15 built-in questions; a pure engine cannot fetch, and a shipped pool replays the same).
//!
//! General knowledge, four options each; `answer` indexes `options`. The options are shown to each
//! player in a seeded order, so the position of the right answer differs from deal to deal.

/// One question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub text: &'static str,
    pub options: [&'static str; 4],
    pub answer: u8,
}

const fn q(text: &'static str, options: [&'static str; 4], answer: u8) -> Question {
    Question {
        text,
        options,
        answer,
    }
}

/// The pool (at least 50; ids are indexes, so only ever append).
pub const QUESTIONS: [Question; 60] = [
    q(
        "What is the capital of Australia?",
        ["Sydney", "Canberra", "Melbourne", "Perth"],
        1,
    ),
    q(
        "Which planet is known as the Red Planet?",
        ["Venus", "Jupiter", "Mars", "Mercury"],
        2,
    ),
    q(
        "How many continents are there on Earth?",
        ["5", "6", "7", "8"],
        2,
    ),
    q(
        "What is the chemical symbol for gold?",
        ["Au", "Ag", "Gd", "Go"],
        0,
    ),
    q(
        "Who painted the Mona Lisa?",
        ["Michelangelo", "Raphael", "Leonardo da Vinci", "Donatello"],
        2,
    ),
    q(
        "What is the largest ocean on Earth?",
        ["Atlantic", "Indian", "Arctic", "Pacific"],
        3,
    ),
    q(
        "How many sides does a hexagon have?",
        ["5", "6", "7", "8"],
        1,
    ),
    q(
        "What is the boiling point of water at sea level in degrees Celsius?",
        ["90", "100", "110", "120"],
        1,
    ),
    q(
        "Which gas do plants absorb from the air for photosynthesis?",
        ["Oxygen", "Nitrogen", "Carbon dioxide", "Hydrogen"],
        2,
    ),
    q(
        "What is the smallest prime number?",
        ["0", "1", "2", "3"],
        2,
    ),
    q(
        "In which country are the ancient pyramids of Giza?",
        ["Mexico", "Egypt", "Peru", "Sudan"],
        1,
    ),
    q(
        "Who wrote the play 'Romeo and Juliet'?",
        [
            "Charles Dickens",
            "William Shakespeare",
            "Jane Austen",
            "Oscar Wilde",
        ],
        1,
    ),
    q(
        "What is the hardest natural substance?",
        ["Gold", "Iron", "Quartz", "Diamond"],
        3,
    ),
    q(
        "How many legs does a spider have?",
        ["6", "8", "10", "12"],
        1,
    ),
    q(
        "What is the largest planet in our solar system?",
        ["Saturn", "Jupiter", "Neptune", "Earth"],
        1,
    ),
    q(
        "Which language has the most native speakers?",
        ["English", "Spanish", "Mandarin Chinese", "Hindi"],
        2,
    ),
    q(
        "What is the currency of Japan?",
        ["Yuan", "Won", "Yen", "Ringgit"],
        2,
    ),
    q(
        "Which organ pumps blood around the human body?",
        ["Liver", "Heart", "Lungs", "Kidneys"],
        1,
    ),
    q(
        "What is the longest river in South America?",
        ["Amazon", "Paraná", "Orinoco", "Magdalena"],
        0,
    ),
    q(
        "How many minutes are there in a full day?",
        ["1,240", "1,440", "1,640", "1,840"],
        1,
    ),
    q(
        "What is the freezing point of water in degrees Fahrenheit?",
        ["0", "16", "32", "100"],
        2,
    ),
    q(
        "Which element has the chemical symbol O?",
        ["Gold", "Osmium", "Oxygen", "Oganesson"],
        2,
    ),
    q(
        "Who was the first person to walk on the Moon?",
        [
            "Buzz Aldrin",
            "Yuri Gagarin",
            "Neil Armstrong",
            "Michael Collins",
        ],
        2,
    ),
    q(
        "What is the tallest mountain above sea level?",
        ["K2", "Kangchenjunga", "Mount Everest", "Mont Blanc"],
        2,
    ),
    q(
        "How many players does a football (soccer) team have on the field?",
        ["9", "10", "11", "12"],
        2,
    ),
    q(
        "Which country gifted the Statue of Liberty to the United States?",
        ["Britain", "France", "Spain", "Italy"],
        1,
    ),
    q("What is the square root of 81?", ["7", "8", "9", "10"], 2),
    q(
        "What is the main ingredient of guacamole?",
        ["Tomato", "Avocado", "Cucumber", "Pea"],
        1,
    ),
    q(
        "Which is the largest mammal?",
        ["African elephant", "Blue whale", "Giraffe", "Sperm whale"],
        1,
    ),
    q(
        "In which city is the Colosseum?",
        ["Athens", "Rome", "Istanbul", "Naples"],
        1,
    ),
    q(
        "How many strings does a standard guitar have?",
        ["4", "5", "6", "7"],
        2,
    ),
    q(
        "What colour do you get by mixing blue and yellow?",
        ["Green", "Purple", "Orange", "Brown"],
        0,
    ),
    q(
        "Which instrument has 88 keys?",
        ["Organ", "Accordion", "Piano", "Harpsichord"],
        2,
    ),
    q(
        "What is the capital of Canada?",
        ["Toronto", "Vancouver", "Montreal", "Ottawa"],
        3,
    ),
    q(
        "Which planet is closest to the Sun?",
        ["Venus", "Mercury", "Mars", "Earth"],
        1,
    ),
    q(
        "How many days are there in a leap year?",
        ["364", "365", "366", "367"],
        2,
    ),
    q(
        "Who developed the theory of general relativity?",
        [
            "Isaac Newton",
            "Albert Einstein",
            "Niels Bohr",
            "Galileo Galilei",
        ],
        1,
    ),
    q(
        "What is the largest desert in the world, counting polar deserts?",
        ["Sahara", "Gobi", "Antarctic", "Arabian"],
        2,
    ),
    q(
        "Which bird is often used as a symbol of peace?",
        ["Eagle", "Dove", "Owl", "Swan"],
        1,
    ),
    q(
        "What is 12 multiplied by 12?",
        ["124", "132", "144", "156"],
        2,
    ),
    q(
        "What is the capital of Italy?",
        ["Milan", "Venice", "Rome", "Florence"],
        2,
    ),
    q(
        "Which sea creature has three hearts?",
        ["Shark", "Octopus", "Dolphin", "Starfish"],
        1,
    ),
    q(
        "What is the name of the galaxy that contains our solar system?",
        ["Andromeda", "Milky Way", "Triangulum", "Sombrero"],
        1,
    ),
    q(
        "Which metal is liquid at room temperature?",
        ["Lead", "Mercury", "Tin", "Aluminium"],
        1,
    ),
    q(
        "How many bones are there in the adult human body?",
        ["186", "206", "226", "246"],
        1,
    ),
    q(
        "Which country has the largest land area?",
        ["Canada", "China", "United States", "Russia"],
        3,
    ),
    q(
        "What is the primary language spoken in Brazil?",
        ["Spanish", "Portuguese", "French", "English"],
        1,
    ),
    q(
        "Which vitamin does the skin make when exposed to sunlight?",
        ["Vitamin A", "Vitamin B12", "Vitamin C", "Vitamin D"],
        3,
    ),
    q(
        "What is the capital of Spain?",
        ["Barcelona", "Seville", "Madrid", "Valencia"],
        2,
    ),
    q(
        "How many hours are there in a week?",
        ["148", "168", "178", "188"],
        1,
    ),
    q(
        "Which famous scientist formulated the laws of motion and universal gravitation?",
        [
            "Isaac Newton",
            "Johannes Kepler",
            "Marie Curie",
            "Charles Darwin",
        ],
        0,
    ),
    q(
        "What is the largest internal organ of the human body?",
        ["Brain", "Liver", "Lungs", "Stomach"],
        1,
    ),
    q(
        "Which country is home to the kangaroo?",
        ["New Zealand", "South Africa", "Australia", "Argentina"],
        2,
    ),
    q(
        "What do bees collect from flowers to make honey?",
        ["Pollen", "Nectar", "Sap", "Dew"],
        1,
    ),
    q(
        "Which ocean lies between Africa and Australia?",
        ["Atlantic", "Pacific", "Indian", "Southern"],
        2,
    ),
    q(
        "What is the capital of Germany?",
        ["Munich", "Berlin", "Hamburg", "Frankfurt"],
        1,
    ),
    q(
        "How many colours are there in a rainbow?",
        ["5", "6", "7", "8"],
        2,
    ),
    q(
        "Which shape has three sides?",
        ["Square", "Triangle", "Pentagon", "Circle"],
        1,
    ),
    q(
        "What is the fastest land animal?",
        ["Lion", "Pronghorn", "Cheetah", "Greyhound"],
        2,
    ),
    q(
        "In computing, what does 'CPU' stand for?",
        [
            "Central Processing Unit",
            "Computer Personal Unit",
            "Central Program Utility",
            "Core Power Unit",
        ],
        0,
    ),
];
