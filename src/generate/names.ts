// Static lists for people and places.
import { packed } from './lists.js'

export interface Region {
  first: string[]
  last: string[]
}

export const REGIONS: Record<string, Region> = {
  anglo: {
    first: packed(`James Mary John Sarah Michael Emily David Laura Robert Jennifer William Emma Thomas Rachel
      Daniel Hannah Matthew Olivia Andrew Katherine Christopher Rebecca Benjamin Jessica Samuel Megan Jonathan
      Grace Patrick Claire Nathan Alice`),
    last: packed(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin
      Thompson White Harris Clark Lewis Walker Hall Young Allen King Wright Scott Green Baker Adams Campbell
      Mitchell Roberts Carter Murphy O'Brien Kelly Hughes Palmer Fraser`),
  },
  chinese: {
    first: packed(`Wei Jing Li Hao Yan Xin Yu Lei Min Jie Fang Tao Ying Jun Hui Qiang Xiaoming Yifan Zhiwei
      Mengqi Haoran Yuxin Jiawei Shuang Chen Ruoxi Zihan Kai Lin Xiaoyu`),
    last: packed(`Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang
      Xie Song Tang Han Feng Deng Cao Peng Yuan Jiang`),
  },
  southAsian: {
    first:
      packed(`Arjun Priya Rahul Ananya Vikram Sneha Amit Divya Sanjay Kavya Rohan Pooja Aditya Neha Karthik
      Lakshmi Suresh Meera Ravi Anjali Imran Ayesha Farhan Sana Deepak Nikhil`),
    last: packed(`Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Rao Mehta Joshi Chatterjee Banerjee Das Mukherjee
      Verma Agarwal Krishnan Menon Khan Ahmed Hussain Malik Qureshi Bhattacharya Pillai`),
  },
  hispanic: {
    first: packed(`María José Carlos Ana Luis Lucía Javier Sofía Miguel Valentina Diego Camila Pablo Isabel
      Alejandro Gabriela Fernando Paula João Beatriz Rafael Mariana Tiago Carolina Andrés Inés`),
    last: packed(`García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera
      Gómez Díaz Morales Ortiz Silva Santos Oliveira Souza Costa Ferreira Almeida Pereira Ruiz Navarro Castro
      Vargas`),
  },
  european: {
    first:
      packed(`Lukas Anna Felix Julia Maximilian Sophie Jonas Lea Pierre Camille Antoine Chloé Marco Giulia
      Luca Francesca Lars Ingrid Erik Sanne Jan Katarzyna Piotr Agnieszka Matteo Elena Henrik Astrid Nikos
      Eleni Thibault Margot`),
    last: packed(`Müller Schmidt Schneider Fischer Weber Becker Wagner Hoffmann Dubois Moreau Laurent Lefebvre
      Rossi Russo Bianchi Romano Ricci de_Vries Jansen van_Dijk Bakker Johansson Andersson Nielsen Hansen
      Kowalski Nowak Wiśniewski Novak Horvath Papadopoulos Berger Meier Fournier`),
  },
  eastAsian: {
    first:
      packed(`Hiroshi Yuki Takashi Akiko Kenji Naoko Satoshi Haruka Daisuke Mei Ji-ho Min-jun Seo-yeon Ji-woo
      Hyun-woo Eun-ji Sung-min Soo-jin Takumi Ayaka Kazuki Yoko`),
    last: packed(`Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Kim
      Lee Park Choi Jung Kang Cho Yoon Jang Lim Shin Song`),
  },
  mena: {
    first:
      packed(`Mohammed Fatima Ahmed Leila Omar Amira Ali Yasmin Hassan Zahra Mustafa Nour Karim Mariam Reza
      Maryam Mehmet Elif Emre Zeynep Yusuf Aylin Hamid Sara Noam Tamar`),
    last: packed(`Hassan Ali Ibrahim Mahmoud Abdullah Rahman Haddad Khalil Saleh Mansour Farouk Hosseini Ahmadi
      Mohammadi Rezaei Karimi Yılmaz Kaya Demir Şahin Çelik Öztürk Cohen Levi Mizrahi Friedman`),
  },
  african: {
    first:
      packed(`Chinedu Ngozi Oluwaseun Adaeze Kwame Ama Tendai Thandiwe Emeka Chioma Sipho Nomvula Babajide
      Folake Kofi Abena Jabari Wanjiru Tunde Amara`),
    last: packed(`Okafor Adeyemi Okonkwo Mensah Nkosi Dlamini Mwangi Otieno Abubakar Eze Ogunleye Boateng Ndlovu
      Kamau Achieng Bello Adebayo Osei Mokoena Nwosu`),
  },
  slavic: {
    first:
      packed(`Alexander Natalia Dmitry Olga Sergey Elena Andrei Tatiana Ivan Anastasia Mikhail Irina Nikolai
      Ekaterina Pavel Svetlana`),
    last: packed(`Ivanov Smirnov Kuznetsov Popov Volkov Sokolov Petrov Morozov Novikov Fedorov Kozlov Orlov Lebedev
      Kovalenko Shevchenko Egorov`),
  },
  southeastAsian: {
    first: packed(`Minh Linh Anh Thanh Huong Duc Siti Ahmad Nurul Aziz Hafiz Mai Quang Farah`),
    last: packed(`Nguyen Tran Le Pham Hoang Vu Abdullah Ismail Tan Lim Ong Teo Wong Rahim`),
  },
}

export interface Country {
  code: string
  name: string
  /** Rough share of research output; drives both institution and researcher counts. */
  weight: number
  region: string
  cities: string[]
}

function country(code: string, name: string, weight: number, region: string, cities: string): Country {
  return { code, name, weight, region, cities: packed(cities) }
}

export const COUNTRIES: Country[] = [
  country(
    'US',
    'United States',
    22,
    'anglo',
    `Boston Chicago Houston Seattle Atlanta Denver Pittsburgh
    Austin San_Diego Minneapolis Baltimore Ann_Arbor Madison Nashville Phoenix Portland Rochester Cincinnati
    Salt_Lake_City Raleigh Berkeley Princeton Tucson Columbus`,
  ),
  country(
    'CN',
    'China',
    16,
    'chinese',
    `Beijing Shanghai Wuhan Nanjing Hangzhou Chengdu Xi'an Guangzhou Harbin
    Tianjin Shenzhen Changsha Hefei Xiamen Jinan Dalian Chongqing Lanzhou`,
  ),
  country(
    'GB',
    'United Kingdom',
    6,
    'anglo',
    `London Manchester Edinburgh Bristol Leeds Glasgow Birmingham
    Sheffield Nottingham Cardiff York Oxford Cambridge Southampton`,
  ),
  country(
    'DE',
    'Germany',
    6,
    'european',
    `Munich Berlin Heidelberg Hamburg Freiburg Göttingen Aachen Dresden Bonn
    Stuttgart Leipzig Karlsruhe Tübingen Münster`,
  ),
  country(
    'JP',
    'Japan',
    4,
    'eastAsian',
    'Tokyo Kyoto Osaka Sendai Nagoya Sapporo Kobe Hiroshima Tsukuba Fukuoka',
  ),
  country(
    'FR',
    'France',
    4,
    'european',
    'Paris Lyon Toulouse Grenoble Marseille Strasbourg Bordeaux Montpellier Lille Nantes',
  ),
  country(
    'IN',
    'India',
    4,
    'southAsian',
    'Delhi Mumbai Bangalore Chennai Kolkata Hyderabad Pune Kanpur Roorkee',
  ),
  country('CA', 'Canada', 3, 'anglo', 'Toronto Montreal Vancouver Calgary Ottawa Waterloo Edmonton Halifax'),
  country('IT', 'Italy', 3, 'european', 'Milan Rome Bologna Padua Turin Naples Pisa Florence Trento'),
  country('AU', 'Australia', 2.5, 'anglo', 'Sydney Melbourne Brisbane Perth Adelaide Canberra'),
  country('KR', 'South Korea', 2.5, 'eastAsian', 'Seoul Daejeon Busan Pohang Incheon Gwangju'),
  country('ES', 'Spain', 2.5, 'hispanic', 'Madrid Barcelona Valencia Seville Granada Salamanca Bilbao'),
  country(
    'BR',
    'Brazil',
    2.5,
    'hispanic',
    'São_Paulo Rio_de_Janeiro Campinas Porto_Alegre Belo_Horizonte Recife',
  ),
  country('NL', 'Netherlands', 2, 'european', 'Amsterdam Delft Utrecht Leiden Groningen Eindhoven Rotterdam'),
  country('CH', 'Switzerland', 1.5, 'european', 'Zurich Geneva Lausanne Basel Bern'),
  country('SE', 'Sweden', 1.5, 'european', 'Stockholm Uppsala Lund Gothenburg Linköping'),
  country('IR', 'Iran', 1.2, 'mena', 'Tehran Isfahan Shiraz Tabriz Mashhad'),
  country('TR', 'Türkiye', 1.2, 'mena', 'Istanbul Ankara Izmir Bursa'),
  country('RU', 'Russia', 1, 'slavic', 'Moscow Saint_Petersburg Novosibirsk Kazan Tomsk'),
  country('PL', 'Poland', 1, 'european', 'Warsaw Kraków Wrocław Gdańsk Poznań'),
  country('BE', 'Belgium', 1, 'european', 'Leuven Ghent Brussels Antwerp Liège'),
  country('TW', 'Taiwan', 0.8, 'chinese', 'Taipei Hsinchu Tainan Taichung'),
  country('MX', 'Mexico', 0.8, 'hispanic', 'Mexico_City Guadalajara Monterrey Puebla'),
  country('DK', 'Denmark', 0.8, 'european', 'Copenhagen Aarhus Odense'),
  country('IL', 'Israel', 0.8, 'mena', 'Tel_Aviv Haifa Jerusalem Rehovot'),
  country('ZA', 'South Africa', 0.7, 'african', 'Cape_Town Johannesburg Pretoria Stellenbosch Durban'),
  country('SG', 'Singapore', 0.6, 'chinese', 'Singapore'),
  country('NG', 'Nigeria', 0.6, 'african', 'Lagos Ibadan Nsukka Zaria'),
  country('EG', 'Egypt', 0.6, 'mena', 'Cairo Alexandria Mansoura Assiut'),
  country('PT', 'Portugal', 0.6, 'hispanic', 'Lisbon Porto Coimbra Braga'),
  country('AT', 'Austria', 0.6, 'european', 'Vienna Graz Innsbruck Linz'),
  country('SA', 'Saudi Arabia', 0.6, 'mena', 'Riyadh Jeddah Dhahran Thuwal'),
  country('PK', 'Pakistan', 0.6, 'southAsian', 'Lahore Islamabad Karachi Peshawar'),
  country('NO', 'Norway', 0.5, 'european', 'Oslo Bergen Trondheim Tromsø'),
  country('FI', 'Finland', 0.5, 'european', 'Helsinki Tampere Oulu Turku'),
  country('GR', 'Greece', 0.5, 'european', 'Athens Thessaloniki Heraklion Patras'),
  country('AR', 'Argentina', 0.4, 'hispanic', 'Buenos_Aires Córdoba La_Plata Rosario'),
  country('CL', 'Chile', 0.4, 'hispanic', 'Santiago Valparaíso Concepción'),
  country('IE', 'Ireland', 0.4, 'anglo', 'Dublin Cork Galway Limerick'),
  country('MY', 'Malaysia', 0.4, 'southeastAsian', 'Kuala_Lumpur Penang Johor_Bahru'),
  country('NZ', 'New Zealand', 0.3, 'anglo', 'Auckland Wellington Dunedin Christchurch'),
  country('VN', 'Vietnam', 0.3, 'southeastAsian', 'Hanoi Ho_Chi_Minh_City Da_Nang Hue'),
  country('KE', 'Kenya', 0.3, 'african', 'Nairobi Kisumu Eldoret'),
]

/** Subject qualifiers for research-institute names ("Munich Institute for Applied Physics"). */
export const INSTITUTE_SUBJECTS =
  packed(`Advanced_Study Molecular_Biology Applied_Physics Environmental_Research
  Data_Science Materials_Research Public_Health Economic_Research Mathematical_Sciences Neuroscience
  Energy_Research Medical_Research Computer_Science Marine_Science`)
